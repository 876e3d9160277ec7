package com.example.shop.messaging.outbox;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where a service puts the messages it sends: a row in its own database, written in the same transaction as
 * the state change that causes it. Both commit or neither does, so there is no state change without its
 * message and no message about a change that was rolled back. The {@link OutboxRelay} publishes the row
 * after commit.
 */
public class Outbox {

	private final OutboxRepository repository;

	private final Runnable afterCommit;

	Outbox(OutboxRepository repository, Runnable afterCommit) {
		this.repository = repository;
		this.afterCommit = afterCommit;
	}

	/**
	 * Adds a message to the caller's transaction.
	 * @throws IllegalStateException when called outside a transaction: a message sent apart from the state
	 * change would be a dual write, which this library exists to rule out
	 */
	public void enqueue(OutgoingMessage message) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Outbox.enqueue(" + message.envelope().describe() + ") needs the caller's "
					+ "transaction (@Transactional) so the message commits with the state change; none is active");
		}
		this.repository.insert(message);
		nudgeAfterCommit();
	}

	/**
	 * Adds a raw message (a body and headers sent exactly as given, see {@link RawOutgoingMessage}) to the
	 * caller's transaction: what a dead-letter replay uses to send the original message again.
	 * @throws IllegalStateException when called outside a transaction
	 */
	public void enqueue(RawOutgoingMessage message) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Outbox.enqueue(" + message.type() + " to " + message.destination()
					+ ") needs the caller's transaction (@Transactional); none is active");
		}
		this.repository.insert(message);
		nudgeAfterCommit();
	}

	private void nudgeAfterCommit() {
		// Publish within milliseconds of the commit instead of at the next poll. Registered per message for
		// simplicity; the relay folds a burst of nudges into one run.
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Outbox.this.afterCommit.run();
			}
		});
	}

}
