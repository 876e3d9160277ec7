package com.example.shop.notification.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import com.example.shop.testsupport.FreePorts;

import static org.awaitility.Awaitility.await;

/**
 * A real SMTP server for a test class: GreenMail on a free loopback port, keeping every email it accepted.
 * Emails are told apart by recipient, which each test makes unique.
 */
public final class MailServer implements AutoCloseable {

	private final GreenMail greenMail;

	private final int port;

	private MailServer(int port) {
		this.port = port;
		this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.greenMail.start();
	}

	public static MailServer start() {
		return new MailServer(FreePorts.one());
	}

	public int port() {
		return this.port;
	}

	/** Every email received so far for this recipient. */
	public List<Mail> to(String recipient) {
		List<Mail> found = new ArrayList<>();
		for (MimeMessage message : this.greenMail.getReceivedMessages()) {
			try {
				if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
					.anyMatch((address) -> address.toString().equalsIgnoreCase(recipient))) {
					found.add(Mail.of(message));
				}
			}
			catch (MessagingException | IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return found;
	}

	/** Waits up to 30 s for an email to this recipient, and returns the first. */
	public Mail awaitOne(String recipient) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> to(recipient), (mails) -> !mails.isEmpty())
			.getFirst();
	}

	@Override
	public void close() {
		this.greenMail.stop();
	}

	/** An email as received: headers, and its plain-text and HTML parts (null when absent). */
	public record Mail(String subject, String from, String to, String messageId, String contentType, String text,
			String html) {

		static Mail of(MimeMessage message) throws MessagingException, IOException {
			List<String> texts = new ArrayList<>();
			List<String> htmls = new ArrayList<>();
			collect(message, texts, htmls);
			return new Mail(message.getSubject(), message.getFrom()[0].toString(),
					message.getRecipients(Message.RecipientType.TO)[0].toString(), message.getMessageID(),
					message.getContentType(), texts.isEmpty() ? null : texts.getFirst(),
					htmls.isEmpty() ? null : htmls.getFirst());
		}

		private static void collect(Part part, List<String> texts, List<String> htmls)
				throws MessagingException, IOException {
			if (part.isMimeType("multipart/*")) {
				Multipart multipart = (Multipart) part.getContent();
				for (int i = 0; i < multipart.getCount(); i++) {
					BodyPart child = multipart.getBodyPart(i);
					collect(child, texts, htmls);
				}
			}
			else if (part.isMimeType("text/plain")) {
				texts.add((String) part.getContent());
			}
			else if (part.isMimeType("text/html")) {
				htmls.add((String) part.getContent());
			}
		}

	}

}
