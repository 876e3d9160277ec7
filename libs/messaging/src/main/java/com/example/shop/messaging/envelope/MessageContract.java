package com.example.shop.messaging.envelope;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import org.jspecify.annotations.Nullable;

import com.example.shop.proto.messaging.v1.EnvelopeProto;

/**
 * What proto/ says about one asynchronous message type, read from its generated class: its name on the wire
 * (the envelope's {@code type}: the proto message's name, {@code ReserveStock}), its version (the proto
 * package's, {@code shop.inventory.messages.v1} is 1), the field marked {@code (shop.messaging.v1.correlation_id)}
 * and the payload's JSON mapping. So no type name, version or field name is written by hand anywhere else.
 * <p>
 * <b>Wire format.</b> The payload travels in protobuf's JSON mapping (lowerCamelCase names, decimals as strings,
 * timestamps in RFC 3339) inside the JSON envelope: a dead letter stays readable in the admin API and in the
 * broker's UI, and the v1 messages keep the JSON shape they had before proto/ described them, so a platform
 * upgrades with messages in flight (docs/messaging.md). Fields with no presence are written even when they hold
 * their default, so a reader sees {@code "quantity": 0} rather than guessing; readers ignore fields they do not
 * know, so a producer may add fields within a version.
 *
 * @param <T> the generated message class
 */
public final class MessageContract<T extends Message> {

	private static final Pattern VERSIONED_PACKAGE = Pattern.compile(".*\\.v(\\d+)");

	private static final Map<Class<?>, MessageContract<?>> CONTRACTS = new ConcurrentHashMap<>();

	private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
		.omittingInsignificantWhitespace()
		.alwaysPrintFieldsWithNoPresence();

	private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

	private final Class<T> javaType;

	private final T defaultInstance;

	private final String type;

	private final int version;

	private final @Nullable FieldDescriptor correlationField;

	private MessageContract(Class<T> javaType, T defaultInstance) {
		this.javaType = javaType;
		this.defaultInstance = defaultInstance;
		Descriptor descriptor = defaultInstance.getDescriptorForType();
		this.type = descriptor.getName();
		this.version = versionOf(descriptor);
		this.correlationField = descriptor.getFields()
			.stream()
			.filter((field) -> field.getOptions().getExtension(EnvelopeProto.correlationId))
			.findFirst()
			.orElse(null);
		if (this.correlationField != null && this.correlationField.getJavaType() != FieldDescriptor.JavaType.STRING) {
			throw new IllegalArgumentException(descriptor.getFullName() + "." + this.correlationField.getName()
					+ " is the correlation id but not a string");
		}
	}

	/** The contract of a generated message class (read once, then cached). */
	@SuppressWarnings("unchecked")
	public static <T extends Message> MessageContract<T> of(Class<T> javaType) {
		return (MessageContract<T>) CONTRACTS.computeIfAbsent(javaType,
				(type) -> new MessageContract<>(javaType, defaultInstance(javaType)));
	}

	/** The contract of a message's class. */
	@SuppressWarnings("unchecked")
	public static <T extends Message> MessageContract<T> of(T message) {
		return of((Class<T>) message.getClass());
	}

	/** The envelope's {@code type}: the proto message's name. */
	public String type() {
		return this.type;
	}

	/** The envelope's {@code version}: the proto package's version. */
	public int version() {
		return this.version;
	}

	public Class<T> javaType() {
		return this.javaType;
	}

	/** Whether the message names its business transaction in a field ({@code (shop.messaging.v1.correlation_id)}). */
	public boolean correlated() {
		return this.correlationField != null;
	}

	/**
	 * The value of the correlation field.
	 * @throws IllegalStateException when the type has none (see {@link #correlated()})
	 */
	public String correlationId(T message) {
		if (this.correlationField == null) {
			throw new IllegalStateException(this.type + " has no field marked (shop.messaging.v1.correlation_id)");
		}
		return (String) message.getField(this.correlationField);
	}

	/** The payload in its JSON mapping. */
	public String toJson(T message) {
		try {
			return PRINTER.print(message);
		}
		catch (InvalidProtocolBufferException ex) {
			// Only for Any fields with unknown types, which these messages do not have.
			throw new IllegalArgumentException(this.type + " cannot be written as JSON: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The envelope's payload as this type, after the checks every consumer needs: the envelope names this type
	 * and version, the payload fits it, and a correlated type's field is set and equals the envelope's
	 * correlation id (a reply is correlated by it; a message that names two transactions has no right answer).
	 * @throws MalformedMessageException naming the first thing that is wrong
	 */
	public T read(MessageEnvelope envelope) {
		if (!this.type.equals(envelope.type())) {
			throw new MalformedMessageException(envelope.describe() + " is not a " + this.type);
		}
		if (envelope.version() != this.version) {
			throw new MalformedMessageException(envelope.describe() + ": version " + envelope.version()
					+ " is not one this service reads (" + this.version + ")");
		}
		T message = parse(envelope);
		if (this.correlationField != null) {
			String correlationId = correlationId(message);
			if (correlationId.isBlank()) {
				throw new MalformedMessageException(envelope.describe() + " has no " + this.correlationField.getJsonName());
			}
			if (!correlationId.equalsIgnoreCase(envelope.correlationId())) {
				throw new MalformedMessageException(envelope.describe() + " is about " + this.correlationField.getJsonName()
						+ " " + correlationId + " but its correlationId is '" + envelope.correlationId() + "'");
			}
		}
		return message;
	}

	@SuppressWarnings("unchecked")
	private T parse(MessageEnvelope envelope) {
		Message.Builder builder = this.defaultInstance.newBuilderForType();
		try {
			PARSER.merge(envelope.payload().toString(), builder);
		}
		catch (InvalidProtocolBufferException | RuntimeException ex) {
			// JsonFormat reports a value of the wrong kind with an InvalidProtocolBufferException, and some shapes
			// (a number far out of range, a malformed JSON text) with runtime exceptions of Gson: malformed, all.
			throw new MalformedMessageException(envelope.describe() + " payload is not a valid " + this.type + ": "
					+ ex.getMessage(), ex);
		}
		return (T) builder.build();
	}

	private static int versionOf(Descriptor descriptor) {
		Matcher matcher = VERSIONED_PACKAGE.matcher(descriptor.getFile().getPackage());
		if (!matcher.matches()) {
			throw new IllegalArgumentException(descriptor.getFullName()
					+ " is not in a versioned package (shop.<owner>.messages.v<N>), so it has no message version");
		}
		return Integer.parseInt(matcher.group(1));
	}

	private static <T extends Message> T defaultInstance(Class<T> javaType) {
		try {
			return javaType.cast(javaType.getMethod("getDefaultInstance").invoke(null));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalArgumentException(javaType.getName() + " is not a generated protobuf message", ex);
		}
	}

	@Override
	public String toString() {
		return this.type + " v" + this.version;
	}

}
