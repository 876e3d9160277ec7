package com.example.shop.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The services' RabbitMQ users and their permissions, as deploy/rabbitmq/permissions states them (the file
 * ./platform, compose and Kubernetes read too), so tests run and refuse exactly what is deployed.
 */
public final class RabbitUsers {

	private static final Path FILE = Path.of("deploy", "rabbitmq", "permissions");

	private RabbitUsers() {
	}

	/**
	 * One line of the file.
	 *
	 * @param name the service, which is the user's name
	 * @param configure pattern of the exchanges and queues it may declare and delete
	 * @param write pattern of the exchanges it may publish to and the queues it may bind
	 * @param read pattern of the queues it may consume and the exchanges it may bind to
	 */
	public record RabbitUser(String name, String configure, String write, String read) {

		/** The development password ./platform and compose give it. */
		public String devPassword() {
			return this.name + "-dev-rabbitmq";
		}

	}

	public static List<RabbitUser> all() {
		try {
			return Files.readAllLines(RepositoryFiles.find(FILE))
				.stream()
				.map(String::strip)
				.filter(line -> !line.isEmpty() && !line.startsWith("#"))
				.map(RabbitUsers::parse)
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static RabbitUser of(String service) {
		return all().stream()
			.filter(user -> user.name().equals(service))
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException(service + " has no line in " + FILE));
	}

	private static RabbitUser parse(String line) {
		String[] columns = line.split("\\s+");
		if (columns.length != 4) {
			throw new IllegalStateException(FILE + ": expected 'user configure write read', got: " + line);
		}
		return new RabbitUser(columns[0], columns[1], columns[2], columns[3]);
	}

}
