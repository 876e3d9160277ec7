package com.example.shop.notification.email;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.notification.mail.*}: how the emails present themselves (the SMTP connection is
 * {@code spring.mail.*}).
 *
 * @param from the From header, with a display name
 * @param messageIdDomain the right-hand side of every Message-ID ({@code <notification-id@domain>})
 */
@ConfigurationProperties("shop.notification.mail")
public record MailProperties(@DefaultValue("Shop <orders@shop.example>") String from,
		@DefaultValue("shop.example") String messageIdDomain) {
}
