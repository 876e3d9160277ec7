package com.example.shop.notification;

/** Where a notification's delivery stands (see V1__notification.sql). */
public enum NotificationStatus {

	/** Waiting for its first delivery attempt. */
	PENDING,

	/** A delivery attempt failed transiently; the message waits in a retry tier. */
	RETRYING,

	/** The SMTP server accepted the email. Final: a redelivery sends nothing. */
	SENT,

	/** Parked in {@code notification.email.dlq}; an operator's replay tries again. */
	FAILED

}
