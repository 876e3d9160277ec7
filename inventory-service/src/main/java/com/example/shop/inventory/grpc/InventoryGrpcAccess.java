package com.example.shop.inventory.grpc;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.security.grpc.GrpcAccessRules;

/**
 * Who may call inventory over gRPC (CheckAvailability, WatchStock): a token of the realm with the scope
 * {@code inventory.read}, which the realm gives order-service's client (libs/security's {@code GrpcTokenCheck}
 * applies it; everything else but health and reflection is refused).
 */
@Configuration(proxyBeanMethods = false)
class InventoryGrpcAccess {

	@Bean
	GrpcAccessRules grpcAccessRules() {
		return GrpcAccessRules.builder().service(InventoryServiceGrpc.SERVICE_NAME, "inventory.read").build();
	}

}
