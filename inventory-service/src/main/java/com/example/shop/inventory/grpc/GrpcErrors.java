package com.example.shop.inventory.grpc;

import com.example.shop.grpc.errors.GrpcServerErrors;

import org.springframework.stereotype.Component;

/**
 * What a gRPC client of inventory-service sees when something other than its request went wrong
 * (libs/grpc-errors): status exceptions pass through, a database out of reach is UNAVAILABLE, anything else
 * INTERNAL, with the details only in this class's log.
 */
@Component
class GrpcErrors extends GrpcServerErrors {

	GrpcErrors() {
		super("stock storage is unavailable, retry later", "internal error, logged by inventory-service");
	}

}
