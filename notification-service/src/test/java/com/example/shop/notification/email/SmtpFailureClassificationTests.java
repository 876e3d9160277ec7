package com.example.shop.notification.email;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationStatus;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.support.OrderServiceStandIn;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

import org.springframework.mail.MailSendException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How SMTP failures are sorted, on the exceptions Jakarta Mail (Angus) and Spring really throw: a 5xx refusal
 * of the recipient or the message is permanent (parked at once), a 4xx, a refused connection or a timeout is
 * transient (retried through the tiers). GreenMail accepts every recipient, so the 5xx and 4xx cases are built
 * here as the SMTP transport builds them.
 */
class SmtpFailureClassificationTests {

	static final Notification NOTIFICATION = notification();

	@Test
	void aRecipientRefusedWith5xxIsPermanent() throws Exception {
		RuntimeException sorted = SmtpMailer.classify(NOTIFICATION, refusedRecipient(550, "5.1.1 User unknown"));

		assertThat(sorted).isInstanceOf(PermanentEmailFailureException.class)
			.hasMessageContaining("SMTP server refused the email to 'ada@example.com'")
			.hasMessageContaining("5.1.1 User unknown");
	}

	@Test
	void aRecipientRefusedWith4xxIsTransient() throws Exception {
		RuntimeException sorted = SmtpMailer.classify(NOTIFICATION, refusedRecipient(450, "4.2.1 Mailbox busy"));

		assertThat(sorted).isInstanceOf(TransientEmailFailureException.class);
	}

	@Test
	void aMessageRefusedWith5xxIsPermanentAnd4xxTransient() throws Exception {
		Address[] none = new Address[0];
		MailSendException rejected = new MailSendException(Map.of(new Object(), new SMTPSendFailedException("DATA",
				554, "554 5.7.1 Message rejected", null, none, none, none)));
		MailSendException deferred = new MailSendException(Map.of(new Object(), new SMTPSendFailedException("DATA",
				451, "451 4.3.0 Try again later", null, none, none, none)));

		assertThat(SmtpMailer.classify(NOTIFICATION, rejected)).isInstanceOf(PermanentEmailFailureException.class);
		assertThat(SmtpMailer.classify(NOTIFICATION, deferred)).isInstanceOf(TransientEmailFailureException.class);
	}

	@Test
	void anUnreachableOrSlowServerIsTransient() {
		MailSendException refused = new MailSendException("Mail server connection failed",
				new MessagingException("Couldn't connect to host, port: 127.0.0.1, 3025", new ConnectException(
						"Connection refused")));
		MailSendException timedOut = new MailSendException(Map.of(new Object(),
				new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"))));

		assertThat(SmtpMailer.classify(NOTIFICATION, refused)).isInstanceOf(TransientEmailFailureException.class)
			.hasMessageContaining("Connection refused");
		assertThat(SmtpMailer.classify(NOTIFICATION, timedOut)).isInstanceOf(TransientEmailFailureException.class)
			.hasMessageContaining("Read timed out");
	}

	/** As the SMTP transport reports a refused RCPT: SendFailedException with the per-address failure next. */
	private static MailSendException refusedRecipient(int code, String text) throws Exception {
		InternetAddress recipient = new InternetAddress("ada@example.com");
		SMTPAddressFailedException refusal = new SMTPAddressFailedException(recipient, "RCPT TO:<ada@example.com>",
				code, code + " " + text);
		SendFailedException failed = new SendFailedException("Invalid Addresses", refusal, new Address[0],
				new Address[0], new Address[] { recipient });
		return new MailSendException(Map.of(new Object(), failed));
	}

	private static Notification notification() {
		var order = OrderServiceStandIn.order(UUID.randomUUID(), "ada@example.com", "CONFIRMED", null);
		return new Notification(UUID.randomUUID(), order.orderId(), UUID.randomUUID(), Notification.EMAIL,
				NotificationType.ORDER_CONFIRMED, order.customerEmail(), order, NotificationStatus.PENDING, 0, null,
				Instant.now(), null);
	}

}
