package com.example.shop.testsupport.architecture;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The platform's layering, as rules each service applies to its own {@link ServiceLayout} in a few lines:
 * <ul>
 * <li>{@link #coreSpeaksNoTransport}: the core knows no HTTP, servlet, gRPC, Kafka or RabbitMQ type, and no problem
 * type of libs/web-problems; adapters at the edge translate;</li>
 * <li>{@link #usesNoOtherService}: a service reaches another only through its API, whose payloads are proto's
 * generated types ({@code com.example.shop.proto..});</li>
 * <li>{@link #capabilitiesAreFreeOfCycles}: the capabilities (the base package's domain model and each sub-package)
 * depend on each other one way;</li>
 * <li>{@link #coreUsesNoEdge}: the core calls out through interfaces it owns (ports), not through adapters;</li>
 * <li>{@link #timeComesFromTheClockBean}: "now" is read from the service's one {@code Clock} bean, so a test can
 * set the time.</li>
 * </ul>
 * A class that breaks a rule for a reason outside the change at hand is left out of that rule by name with
 * {@link #except}, next to a comment saying why; it is checked again once the exception is removed.
 */
public final class ArchitectureRules {

	/**
	 * What only an edge speaks: HTTP (Spring's web and HTTP types, the servlet API, the JDK's HTTP client), gRPC,
	 * Kafka, RabbitMQ, and problem+json (libs/web-problems, whose exceptions are HTTP statuses).
	 */
	static final String[] TRANSPORTS = { "org.springframework.web..", "org.springframework.http..",
			"jakarta.servlet..", "java.net.http..", "io.grpc..", "org.springframework.grpc..",
			"org.springframework.kafka..", "org.apache.kafka..", "org.springframework.amqp..", "com.rabbitmq..",
			"com.example.shop.web.problem.." };

	/** Every service's base package; another service's payloads are only ever proto's generated types. */
	static final List<String> SERVICES = List.of("com.example.shop.product", "com.example.shop.inventory",
			"com.example.shop.payment", "com.example.shop.order", "com.example.shop.notification",
			"com.example.shop.storefront", "com.example.shop.gateway", "com.example.shop.discovery");

	/** Spring MVC controllers and their advices ({@code @RestController} is meta-annotated with {@code @Controller}). */
	public static final DescribedPredicate<JavaClass> WEB_CONTROLLERS = DescribedPredicate.describe("web controllers",
			(type) -> type.isMetaAnnotatedWith("org.springframework.stereotype.Controller")
					|| type.isMetaAnnotatedWith("org.springframework.web.bind.annotation.ControllerAdvice"));

	private static final DescribedPredicate<JavaCall<?>> READS_THE_SYSTEM_CLOCK_OUTSIDE_THE_CLOCK_BEAN = DescribedPredicate
		.describe("reads the system clock (outside the @Bean method of the Clock)",
				(call) -> readsSystemClock(call) && !isClockBean(call.getOrigin()));

	private ArchitectureRules() {
	}

	/** The core depends on no transport: {@link #TRANSPORTS}. */
	public static ArchRule coreSpeaksNoTransport(ServiceLayout layout) {
		return noClasses().that(layout.core())
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(TRANSPORTS)
			.because("the wire is the edge's business: controllers, gRPC services, listeners and client adapters "
					+ "translate between it and the core's own types and exceptions");
	}

	/** No class of the service depends on a class of another service. */
	public static ArchRule usesNoOtherService(ServiceLayout layout) {
		String[] others = SERVICES.stream()
			.filter((service) -> !service.equals(layout.basePackage()))
			.map((service) -> service + "..")
			.toArray(String[]::new);
		return noClasses().that()
			.resideInAPackage(layout.basePackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(others)
			.because("services share contracts, not code: another service's payloads are the generated types of "
					+ "com.example.shop.proto..");
	}

	/**
	 * No cycle between the capabilities: the base package's own classes (the application class left out) and the
	 * first-level packages under it, sub-packages included ({@link ServiceLayout#capabilities()}).
	 */
	public static ArchRule capabilitiesAreFreeOfCycles(ServiceLayout layout) {
		return slices().assignedFrom(layout.capabilities())
			.should()
			.beFreeOfCycles()
			.because("a capability that depends on another one way can be understood, tested and moved on its own");
	}

	/** The core does not use the edge: it calls out through ports it owns, which adapters implement. */
	public static ArchRule coreUsesNoEdge(ServiceLayout layout) {
		return noClasses().that(layout.core())
			.should()
			.dependOnClassesThat(layout.edge())
			.because("adapters depend on the core, never the other way round: the core owns the interfaces (ports) "
					+ "it calls out through");
	}

	/**
	 * No class reads the system clock ({@code Instant.now()}, {@code LocalDate.now()}, {@code Clock.systemUTC()},
	 * {@code System.currentTimeMillis()}, {@code new Date()} ...) except the {@code @Bean} method that defines the
	 * service's one {@code Clock}: everything else takes that bean, so a test can fix or move the time.
	 * {@code now(clock)} is fine, and so is {@code System.nanoTime()}, which measures durations, not the time.
	 */
	public static ArchRule timeComesFromTheClockBean(ServiceLayout layout) {
		return noClasses().that()
			.resideInAPackage(layout.basePackage() + "..")
			.should()
			.callCodeUnitWhere(READS_THE_SYSTEM_CLOCK_OUTSIDE_THE_CLOCK_BEAN)
			.because("the service's one Clock bean is the only source of the current time");
	}

	/** The rule, not applied to these classes (and the classes nested in them). */
	public static ArchRule except(ArchRule rule, Class<?>... exempt) {
		List<String> names = Arrays.stream(exempt).map(Class::getName).toList();
		DescribedPredicate<JavaClass> exempted = DescribedPredicate.describe("exempt",
				(type) -> names.stream().anyMatch((name) -> type.getName().equals(name)
						|| type.getName().startsWith(name + "$")));
		return new Except(rule.as(rule.getDescription() + " (except in " + String.join(", ", names) + ")"),
				DescribedPredicate.not(exempted));
	}

	private static boolean readsSystemClock(JavaCall<?> call) {
		String owner = call.getTargetOwner().getName();
		String name = call.getName();
		List<JavaClass> parameters = call.getTarget().getRawParameterTypes();
		if (owner.startsWith("java.time.") && name.equals("now")) {
			return parameters.stream().noneMatch((type) -> type.isAssignableTo(Clock.class));
		}
		return (owner.equals(Clock.class.getName()) && name.startsWith("system"))
				|| (owner.equals("java.time.InstantSource") && name.equals("system"))
				|| (owner.equals("java.lang.System") && name.equals("currentTimeMillis"))
				|| (owner.equals("java.util.Date") && name.equals(JavaConstructor.CONSTRUCTOR_NAME) && parameters.isEmpty());
	}

	private static boolean isClockBean(JavaCodeUnit origin) {
		return origin.isAnnotatedWith("org.springframework.context.annotation.Bean")
				&& origin.getRawReturnType().isEquivalentTo(Clock.class);
	}

	/** A rule evaluated on the classes that are not exempt; its subjects' dependencies are still all seen. */
	private record Except(ArchRule rule, DescribedPredicate<JavaClass> checked) implements ArchRule {

		@Override
		public void check(JavaClasses classes) {
			ArchRule.Assertions.assertNoViolation(evaluate(classes));
		}

		@Override
		public EvaluationResult evaluate(JavaClasses classes) {
			return this.rule.evaluate(classes.that(this.checked));
		}

		@Override
		public ArchRule because(String reason) {
			return new Except(this.rule.because(reason), this.checked);
		}

		@Override
		public ArchRule allowEmptyShould(boolean allowEmptyShould) {
			return new Except(this.rule.allowEmptyShould(allowEmptyShould), this.checked);
		}

		@Override
		public ArchRule as(String newDescription) {
			return new Except(this.rule.as(newDescription), this.checked);
		}

		@Override
		public String getDescription() {
			return this.rule.getDescription();
		}

	}

}
