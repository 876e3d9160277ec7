package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.shop.messaging.inbox.Inbox;

/**
 * Deletes sent outbox rows after their retention, and inbox entries after theirs, in small chunks so no
 * statement holds many row locks or runs long. Every replica runs it; they simply share the deleting.
 */
class OutboxHousekeeping {

	private static final Logger log = LoggerFactory.getLogger(OutboxHousekeeping.class);

	private static final int CHUNK = 1000;

	private final OutboxRepository outbox;

	private final Inbox inbox;

	private final Duration outboxRetention;

	private final Duration inboxRetention;

	OutboxHousekeeping(OutboxRepository outbox, Inbox inbox, Duration outboxRetention, Duration inboxRetention) {
		this.outbox = outbox;
		this.inbox = inbox;
		this.outboxRetention = outboxRetention;
		this.inboxRetention = inboxRetention;
	}

	void run() {
		try {
			Instant now = Instant.now();
			int sent = deleteInChunks(() -> this.outbox.deleteSentBefore(now.minus(this.outboxRetention), CHUNK));
			int received = deleteInChunks(() -> this.inbox.forgetReceivedBefore(now.minus(this.inboxRetention), CHUNK));
			if (sent + received > 0) {
				log.info("Messaging housekeeping: deleted {} sent outbox rows, {} inbox entries", sent, received);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Messaging housekeeping failed, trying again next time: {}", ex.toString());
		}
	}

	private static int deleteInChunks(IntSupplier chunk) {
		int total = 0;
		int deleted;
		do {
			deleted = chunk.getAsInt();
			total += deleted;
		}
		while (deleted == CHUNK);
		return total;
	}

}
