package com.example.shop.web.problem;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.springframework.web.client.ResourceAccessException;

/**
 * Tells a failure of something the service depends on (its database, its broker, a downstream service) from a
 * bug. The first answers 503: the gateway's circuit breaker counts it against the service, and a retry may
 * succeed. A bug stays a 500, which the breaker ignores, so one client's odd request cannot open it for all.
 */
final class DependencyFailures {

	/**
	 * Matched by name along each exception's class hierarchy: the classes live in spring-tx and spring-amqp,
	 * which not every service has on its class path.
	 */
	private static final Set<String> UNAVAILABLE = Set.of(
			// no connection: CannotGetJdbcConnectionException, RedisConnectionFailureException, ...
			"org.springframework.dao.DataAccessResourceFailureException",
			// may work if retried: QueryTimeoutException, TransientDataAccessResourceException, lock waits
			"org.springframework.dao.TransientDataAccessException",
			"org.springframework.dao.RecoverableDataAccessException",
			// @Transactional could not begin: no connection from the pool
			"org.springframework.transaction.CannotCreateTransactionException",
			"org.springframework.transaction.TransactionTimedOutException",
			"org.springframework.amqp.AmqpConnectException",
			// the identity provider cannot be reached and this service's own token has expired (libs/security)
			"com.example.shop.security.ServiceTokens$ServiceTokenUnavailableException");

	/**
	 * Transient in Spring's hierarchy, but a concurrent write of another client, not an outage: counting it as
	 * one would let busy clients open the breaker.
	 */
	private static final Set<String> NOT_AN_OUTAGE = Set.of("org.springframework.dao.OptimisticLockingFailureException");

	/** Bounds the walk down a cause chain that loops. */
	private static final int MAX_CAUSES = 16;

	private DependencyFailures() {
	}

	/** Whether the exception, or one it wraps, says a dependency is unreachable or too slow. */
	static boolean isDependencyFailure(Throwable ex) {
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++) {
			if (isOutage(cause)) {
				return true;
			}
			cause = cause.getCause();
		}
		return false;
	}

	private static boolean isOutage(Throwable ex) {
		if (ex instanceof SQLTransientException || ex instanceof SQLRecoverableException
				|| ex instanceof SQLNonTransientConnectionException || ex instanceof ResourceAccessException) {
			// JDBC without Spring's translation; a RestClient call that got no answer
			return true;
		}
		for (Class<?> type = ex.getClass(); type != null; type = type.getSuperclass()) {
			if (NOT_AN_OUTAGE.contains(type.getName())) {
				return false;
			}
			if (UNAVAILABLE.contains(type.getName())) {
				return true;
			}
		}
		return false;
	}

}
