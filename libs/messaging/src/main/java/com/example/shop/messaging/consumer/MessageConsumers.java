package com.example.shop.messaging.consumer;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.outbox.Outbox;

/**
 * Makes {@link MessageConsumer}s on the service's inbox, outbox and transaction manager; the {@code source} of
 * the replies they send is the service's {@code spring.application.name}. Auto-configured with the outbox.
 */
public class MessageConsumers {

	private final String source;

	private final Inbox inbox;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	public MessageConsumers(String source, Inbox inbox, Outbox outbox, PlatformTransactionManager transactionManager) {
		this.source = source;
		this.inbox = inbox;
		this.outbox = outbox;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/**
	 * A consumer's table, to fill with rows.
	 * @param name the inbox's name of this processing step, such as {@code inventory-service.commands}: stable,
	 * since the inbox remembers what was processed under it
	 */
	public MessageConsumer.Builder named(String name) {
		return new MessageConsumer.Builder(name, this.source, this.inbox, this.outbox, this.transaction);
	}

	/** The {@code source} of the envelopes the consumers make. */
	public String source() {
		return this.source;
	}

}
