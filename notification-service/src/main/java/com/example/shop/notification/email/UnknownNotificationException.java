package com.example.shop.notification.email;

import java.util.UUID;

/** A delivery names a notification this service does not have. */
public class UnknownNotificationException extends RuntimeException {

	public UnknownNotificationException(UUID id) {
		super("no notification " + id);
	}

}
