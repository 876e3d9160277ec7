package com.example.shop.inventory.messaging;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * order-service's commands from Kafka {@code inventory.commands}, in the consumer group of all replicas
 * ({@code spring.kafka.consumer.group-id}), so each command is handled by one of them. Retries and the
 * dead-letter topic {@code inventory.commands.DLT} are libs/messaging's: a malformed record goes there at
 * once, the records behind it go on. The offset is committed after the command's transaction, and the inbox
 * makes a redelivery harmless.
 */
@Component
class InventoryCommandListener {

	private final InventoryCommands commands;

	InventoryCommandListener(InventoryCommands commands) {
		this.commands = commands;
	}

	@KafkaListener(id = "inventory-commands", idIsGroup = false,
			topics = "${inventory.messaging.commands-topic:inventory.commands}")
	void on(String record) {
		this.commands.accept(record);
	}

}
