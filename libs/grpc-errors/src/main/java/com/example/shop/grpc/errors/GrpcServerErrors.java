package com.example.shop.grpc.errors;

import io.grpc.Status;
import io.grpc.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;

/**
 * What a gRPC client sees when something other than its request went wrong. Status exceptions thrown by the service
 * pass through untouched. A database that cannot be reached is UNAVAILABLE (clients may retry idempotent reads with
 * backoff); anything else is INTERNAL with a generic description, the details only in the log.
 * <p>
 * A service declares its subclass as a bean, with its own descriptions (which storage, which service logged the
 * details); Spring gRPC applies it to every call. The log lines are the subclass's logger's, so they keep the
 * service's own category.
 */
public abstract class GrpcServerErrors implements GrpcExceptionHandler {

	private final Logger log = LoggerFactory.getLogger(getClass());

	private final String storageUnavailable;

	private final String internalError;

	/**
	 * @param storageUnavailable the UNAVAILABLE description, e.g. {@code catalog storage is unavailable, retry later}
	 * @param internalError the INTERNAL description, e.g. {@code internal error, logged by product-service}
	 */
	protected GrpcServerErrors(String storageUnavailable, String internalError) {
		this.storageUnavailable = storageUnavailable;
		this.internalError = internalError;
	}

	@Override
	public StatusException handleException(Throwable exception) {
		Status status = Status.fromThrowable(exception);
		if (status.getCode() != Status.Code.UNKNOWN) {
			return status.asException();
		}
		if (exception instanceof DataAccessResourceFailureException
				|| exception instanceof TransientDataAccessException) {
			this.log.warn("gRPC call failed, database unavailable: {}", exception.toString());
			return Status.UNAVAILABLE.withDescription(this.storageUnavailable).asException();
		}
		this.log.error("gRPC call failed", exception);
		return Status.INTERNAL.withDescription(this.internalError).asException();
	}

}
