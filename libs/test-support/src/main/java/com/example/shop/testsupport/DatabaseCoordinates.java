package com.example.shop.testsupport;

/** How to reach one database created for a test. */
public record DatabaseCoordinates(String jdbcUrl, String username, String password, String databaseName) {
}
