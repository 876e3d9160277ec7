package com.example.shop.order;

import java.util.List;

/**
 * Where the messages of a transition go: the messaging adapter puts each into the outbox, in the caller's
 * transaction, so they are sent if and only if the transition commits.
 */
public interface SagaMessageSender {

	/**
	 * @throws IllegalStateException when no transaction is active
	 */
	void send(List<? extends OrderMessage> messages);

}
