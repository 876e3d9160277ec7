package com.example.shop.testsupport.architecture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * How a service is cut, as its {@code ArchitectureTests} states it: the base package (its own classes the service's
 * domain model, one sub-package per further capability) and the edges, where the service meets the wire. An edge is
 * a package (REST {@code api}, gRPC server {@code grpc}, {@code messaging}, {@code web}, a client adapter's package)
 * or, where an adapter shares its capability's package, a class. The application class (the one annotated
 * {@code @SpringBootApplication}, in the base package) is neither: it is where the service is put together, and may
 * name any of its parts. Everything else under the base package is the core.
 * <p>
 * Immutable: every method returns a new layout.
 */
public final class ServiceLayout {

	private static final String SPRING_BOOT_APPLICATION = "org.springframework.boot.autoconfigure.SpringBootApplication";

	private final String basePackage;

	private final List<String> edgePackages;

	private final List<String> edgeClassNames;

	private final List<DescribedPredicate<? super JavaClass>> edgeClasses;

	private ServiceLayout(String basePackage, List<String> edgePackages, List<String> edgeClassNames,
			List<DescribedPredicate<? super JavaClass>> edgeClasses) {
		this.basePackage = basePackage;
		this.edgePackages = List.copyOf(edgePackages);
		this.edgeClassNames = List.copyOf(edgeClassNames);
		this.edgeClasses = List.copyOf(edgeClasses);
	}

	/** A service under {@code basePackage}, e.g. {@code com.example.shop.inventory}, with no edges yet. */
	public static ServiceLayout of(String basePackage) {
		return new ServiceLayout(basePackage, List.of(), List.of(), List.of());
	}

	/** Packages at the edge, relative to the base package ({@code "api"}, {@code "catalog.client"}), with their sub-packages. */
	public ServiceLayout edgePackages(String... relativePackages) {
		List<String> packages = new ArrayList<>(this.edgePackages);
		Arrays.stream(relativePackages).map(this::absolute).forEach(packages::add);
		return new ServiceLayout(this.basePackage, packages, this.edgeClassNames, this.edgeClasses);
	}

	/** Adapter classes that sit in a core package, relative to the base package ({@code "orderevents.OrderEventsListener"}). */
	public ServiceLayout edgeClasses(String... relativeClassNames) {
		List<String> names = new ArrayList<>(this.edgeClassNames);
		Arrays.stream(relativeClassNames).map(this::absolute).forEach(names::add);
		return new ServiceLayout(this.basePackage, this.edgePackages, names, this.edgeClasses);
	}

	/** Adapter classes picked by what they are rather than by name, e.g. {@link ArchitectureRules#WEB_CONTROLLERS}. */
	public ServiceLayout edgeClasses(DescribedPredicate<? super JavaClass> classes) {
		List<DescribedPredicate<? super JavaClass>> predicates = new ArrayList<>(this.edgeClasses);
		predicates.add(classes);
		return new ServiceLayout(this.basePackage, this.edgePackages, this.edgeClassNames, predicates);
	}

	public String basePackage() {
		return this.basePackage;
	}

	/** The classes at the edge: in an edge package, named as an edge class (nested classes included), or picked by a predicate. */
	public DescribedPredicate<JavaClass> edge() {
		return DescribedPredicate.describe("at the edge of " + this.basePackage + " (" + describeEdges() + ")",
				this::isEdge);
	}

	/** The classes of the service that are not at its edge, the application class left out. */
	public DescribedPredicate<JavaClass> core() {
		return DescribedPredicate.describe("in the core of " + this.basePackage,
				(type) -> isInService(type) && !isEdge(type) && !isApplication(type));
	}

	/**
	 * The capabilities, as slices: the base package's own classes (the domain model, the application class left out)
	 * are one, named after the base package; each first-level sub-package, with its sub-packages, is another.
	 */
	public SliceAssignment capabilities() {
		return new SliceAssignment() {

			@Override
			public SliceIdentifier getIdentifierOf(JavaClass type) {
				if (!isInService(type) || isApplication(type)) {
					return SliceIdentifier.ignore();
				}
				if (type.getPackageName().equals(ServiceLayout.this.basePackage)) {
					return SliceIdentifier.of(ServiceLayout.this.basePackage);
				}
				String relative = type.getPackageName().substring(ServiceLayout.this.basePackage.length() + 1);
				int end = relative.indexOf('.');
				return SliceIdentifier.of((end < 0) ? relative : relative.substring(0, end));
			}

			@Override
			public String getDescription() {
				return "the capabilities of " + ServiceLayout.this.basePackage
						+ " (its own classes and each first-level sub-package)";
			}

		};
	}

	private boolean isInService(JavaClass type) {
		return isInPackage(type.getPackageName(), this.basePackage);
	}

	private boolean isApplication(JavaClass type) {
		JavaClass outermost = outermost(type);
		return outermost.getPackageName().equals(this.basePackage)
				&& outermost.isMetaAnnotatedWith(SPRING_BOOT_APPLICATION);
	}

	private boolean isEdge(JavaClass type) {
		if (!isInService(type)) {
			return false;
		}
		if (this.edgePackages.stream().anyMatch((edge) -> isInPackage(type.getPackageName(), edge))) {
			return true;
		}
		JavaClass outermost = outermost(type);
		if (this.edgeClassNames.contains(outermost.getName())) {
			return true;
		}
		return this.edgeClasses.stream().anyMatch((predicate) -> predicate.test(outermost));
	}

	private static JavaClass outermost(JavaClass type) {
		JavaClass outer = type;
		while (outer.getEnclosingClass().isPresent()) {
			outer = outer.getEnclosingClass().get();
		}
		return outer;
	}

	private static boolean isInPackage(String packageName, String parent) {
		return packageName.equals(parent) || packageName.startsWith(parent + ".");
	}

	private String absolute(String relative) {
		return this.basePackage + "." + relative;
	}

	private String describeEdges() {
		List<String> parts = new ArrayList<>();
		this.edgePackages.forEach((edge) -> parts.add(edge + ".."));
		parts.addAll(this.edgeClassNames);
		this.edgeClasses.forEach((predicate) -> parts.add(predicate.getDescription()));
		return String.join(", ", parts);
	}

}
