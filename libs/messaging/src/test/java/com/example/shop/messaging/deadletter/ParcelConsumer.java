package com.example.shop.messaging.deadletter;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.TestMessages.TestPayload;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;

/**
 * What the dead-letter store tests' consumers do with a decoded parcel, whichever broker brought it: fail as
 * the payload's {@code mode} says ({@code fail-always}, or {@code fail-until-fixed} while {@link #broken}),
 * otherwise apply it once through the inbox, recording what was applied and what was a duplicate. The
 * transport-specific listeners extend it and only decode.
 */
public class ParcelConsumer {

	public final AtomicBoolean broken = new AtomicBoolean();

	public final List<UUID> applied = new CopyOnWriteArrayList<>();

	public final List<UUID> duplicates = new CopyOnWriteArrayList<>();

	private final Inbox inbox;

	private final TransactionTemplate transactions;

	protected ParcelConsumer(Inbox inbox, TransactionTemplate transactions) {
		this.inbox = inbox;
		this.transactions = transactions;
	}

	protected void consume(MessageEnvelope envelope) {
		String mode = envelope.payloadAs(TestPayload.class).mode();
		if (mode.equals("fail-always") || (mode.equals("fail-until-fixed") && this.broken.get())) {
			throw new IllegalStateException("always fails");
		}
		this.transactions.executeWithoutResult((status) -> {
			if (!this.inbox.firstDelivery("test.parcels", envelope)) {
				this.duplicates.add(envelope.id());
				return;
			}
			this.applied.add(envelope.id());
		});
	}

}
