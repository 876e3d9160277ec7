package com.example.shop.notification.email;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import com.example.shop.notification.Notification;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends one rendered notification over SMTP (Spring's {@link JavaMailSender}; connect, read and write deadlines
 * in {@code spring.mail.properties}) as {@code multipart/alternative}: plain text first, HTML preferred by
 * clients that show it. Each email carries the Message-ID {@code <notification-id@shop.example>}: should the
 * same notification be sent twice (see {@link EmailDeliveryListener} for the one window where that can
 * happen), mail clients and servers see one message.
 * <p>
 * Sorts failures: {@link PermanentEmailFailureException} for what no retry can fix (an address that is not
 * one, a 5xx answer: the server refuses the recipient, the sender or the message), and
 * {@link TransientEmailFailureException} for everything else (unreachable, a timeout, a 4xx answer, a
 * dropped connection).
 */
@Component
class SmtpMailer {

	private final JavaMailSender mailSender;

	private final MailProperties properties;

	SmtpMailer(JavaMailSender mailSender, MailProperties properties) {
		this.mailSender = mailSender;
		this.properties = properties;
	}

	void send(Notification notification, RenderedEmail email) {
		MimeMessage message = prepare(notification, email);
		try {
			this.mailSender.send(message);
		}
		catch (MailException ex) {
			throw classify(notification, ex);
		}
	}

	/** The Message-ID of a notification's email, the same on every attempt. */
	String messageId(Notification notification) {
		return "<" + notification.id() + "@" + this.properties.messageIdDomain() + ">";
	}

	private MimeMessage prepare(Notification notification, RenderedEmail email) {
		MimeMessage message = new FixedIdMimeMessage(session(), messageId(notification));
		try {
			// RELATED: the HTML could reference inline images; the text and HTML bodies are a
			// multipart/alternative inside it.
			MimeMessageHelper helper = new MimeMessageHelper(message, MimeMessageHelper.MULTIPART_MODE_RELATED,
					StandardCharsets.UTF_8.name());
			helper.setValidateAddresses(true);
			helper.setFrom(this.properties.from());
			setRecipient(helper, notification.recipient());
			helper.setSubject(email.subject());
			helper.setText(email.text(), email.html());
			return message;
		}
		catch (MessagingException ex) {
			throw new PermanentEmailFailureException("cannot build the email: " + ex.getMessage(), ex);
		}
	}

	private static void setRecipient(MimeMessageHelper helper, String recipient) throws MessagingException {
		try {
			helper.setTo(recipient);
		}
		catch (AddressException ex) {
			throw new PermanentEmailFailureException("invalid recipient address '" + recipient + "': " + ex.getMessage(),
					ex);
		}
	}

	private Session session() {
		if (this.mailSender instanceof JavaMailSenderImpl impl) {
			return impl.getSession();
		}
		return Session.getInstance(new Properties());
	}

	/** The failure as a permanent or a transient one (package-private for its tests). */
	static RuntimeException classify(Notification notification, MailException ex) {
		if (ex instanceof MailParseException || ex instanceof MailPreparationException) {
			return new PermanentEmailFailureException("cannot build the email: " + ex.getMessage(), ex);
		}
		Throwable permanent = permanentCause(ex);
		if (permanent != null) {
			return new PermanentEmailFailureException("SMTP server refused the email to '" + notification.recipient()
					+ "': " + describe(permanent), ex);
		}
		return new TransientEmailFailureException("SMTP delivery failed, retried later: " + describe(rootCause(ex)), ex);
	}

	/** A 5xx answer, or an address the client refused, anywhere in the failure; null if none. */
	private static Throwable permanentCause(MailException ex) {
		if (ex instanceof MailSendException send) {
			for (Exception failure : send.getMessageExceptions()) {
				Throwable found = permanentIn(failure);
				if (found != null) {
					return found;
				}
			}
		}
		return permanentIn(ex);
	}

	private static Throwable permanentIn(Throwable failure) {
		// MessagingException.getCause() is its "next exception": the whole SMTP story is on this chain.
		for (Throwable current = failure; current != null; current = current.getCause()) {
			Integer code = switch (current) {
				case SMTPAddressFailedException address -> address.getReturnCode();
				case SMTPSenderFailedException sender -> sender.getReturnCode();
				case SMTPSendFailedException send -> send.getReturnCode();
				default -> null;
			};
			if (code != null && code >= 500) {
				return current;
			}
			if (code == null && current instanceof AddressException) {
				return current;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static String describe(Throwable failure) {
		return failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	/**
	 * A MimeMessage whose Message-ID survives {@code saveChanges()}, which Jakarta Mail calls before sending
	 * and which would otherwise replace it with a random one.
	 */
	static final class FixedIdMimeMessage extends MimeMessage {

		private final String messageId;

		FixedIdMimeMessage(Session session, String messageId) {
			super(session);
			this.messageId = messageId;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", this.messageId);
		}

	}

}
