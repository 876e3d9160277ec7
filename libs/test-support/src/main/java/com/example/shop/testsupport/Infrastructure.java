package com.example.shop.testsupport;

/** The real infrastructure a test class can ask for with {@link UsesInfrastructure}. */
public enum Infrastructure {
	POSTGRES, KAFKA, RABBITMQ, REDIS
}
