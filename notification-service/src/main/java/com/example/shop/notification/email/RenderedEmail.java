package com.example.shop.notification.email;

/** An email ready to send: subject, and the same content as HTML and as plain text. */
record RenderedEmail(String subject, String html, String text) {
}
