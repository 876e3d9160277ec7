package com.example.shop.web.problem.sample;

import java.sql.SQLTransientConnectionException;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Throws what a service's data access throws when its database is down or slow, with the messages the real
 * drivers give (they name hosts, which must not reach the client).
 */
@RestController
@RequestMapping("/outages")
class OutageController {

	@GetMapping("/no-connection")
	void noConnection() {
		throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
				new SQLTransientConnectionException("HikariPool-1 - Connection is not available, db-secret-host:5432"));
	}

	@GetMapping("/query-timeout")
	void queryTimeout() {
		throw new QueryTimeoutException("ERROR: canceling statement due to statement timeout");
	}

	@GetMapping("/no-transaction")
	void noTransaction() {
		throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
				new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"));
	}

	@GetMapping("/wrapped")
	void wrapped() {
		throw new IllegalStateException("loading the price list failed",
				new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"));
	}

	@GetMapping("/concurrent-write")
	void concurrentWrite() {
		throw new OptimisticLockingFailureException("row 42 changed in between");
	}

}
