package com.example.shop.product.grpc;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.proto.catalog.v1.CatalogServiceGrpc;
import com.example.shop.security.grpc.GrpcAccessRules;

/**
 * Who may call the catalog over gRPC: a token of the realm with the scope {@code catalog.read}, which the realm gives
 * the clients of order-service and inventory-service (libs/security's {@code GrpcTokenCheck} applies it; everything
 * else but health and reflection is refused).
 */
@Configuration(proxyBeanMethods = false)
class CatalogGrpcAccess {

	@Bean
	GrpcAccessRules grpcAccessRules() {
		return GrpcAccessRules.builder().service(CatalogServiceGrpc.SERVICE_NAME, "catalog.read").build();
	}

}
