package com.example.shop.inventory.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * What a gRPC client sees when something other than its request went wrong. Status exceptions thrown by
 * the service pass through untouched. A database that cannot be reached is UNAVAILABLE (clients may retry
 * idempotent reads with backoff); anything else is INTERNAL with a generic description, the details only in
 * the log.
 */
@Component
class GrpcErrors implements GrpcExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

	@Override
	public StatusException handleException(Throwable exception) {
		Status status = Status.fromThrowable(exception);
		if (status.getCode() != Status.Code.UNKNOWN) {
			return status.asException();
		}
		if (exception instanceof DataAccessResourceFailureException
				|| exception instanceof TransientDataAccessException) {
			log.warn("gRPC call failed, database unavailable: {}", exception.toString());
			return Status.UNAVAILABLE.withDescription("stock storage is unavailable, retry later").asException();
		}
		log.error("gRPC call failed", exception);
		return Status.INTERNAL.withDescription("internal error, logged by inventory-service").asException();
	}

}
