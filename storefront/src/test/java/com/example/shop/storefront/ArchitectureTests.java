package com.example.shop.storefront;

import com.example.shop.testsupport.architecture.ArchitectureRules;
import com.example.shop.testsupport.architecture.ServiceLayout;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The storefront's layering (libs/test-support's {@link ArchitectureRules}). It is a web application, so its edges
 * are mostly pages: the controllers of every capability package, the web plumbing ({@code web}) and the login
 * ({@code security}); then the gateway client ({@code ShopApi}, its configuration, and {@code CatalogQuery}, which
 * writes its own query string), the cart's store in the HTTP session, and the client of inventory's stock
 * ({@code catalog.client}). The core: the cart, the words for availability and order status, the stock fan-out, the
 * shop's types.
 */
@AnalyzeClasses(packages = "com.example.shop.storefront", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	static final ServiceLayout STOREFRONT = ServiceLayout.of("com.example.shop.storefront")
		.edgePackages("web", "security", "catalog.client")
		.edgeClasses(ArchitectureRules.WEB_CONTROLLERS)
		.edgeClasses("shop.ShopApi", "shop.ShopApiConfiguration", "shop.CatalogQuery", "cart.CartStore");

	@ArchTest
	static final ArchRule coreSpeaksNoTransport = ArchitectureRules.coreSpeaksNoTransport(STOREFRONT);

	@ArchTest
	static final ArchRule usesNoOtherService = ArchitectureRules.usesNoOtherService(STOREFRONT);

	@ArchTest
	static final ArchRule capabilitiesAreFreeOfCycles = ArchitectureRules.capabilitiesAreFreeOfCycles(STOREFRONT);

	@ArchTest
	static final ArchRule coreUsesNoEdge = ArchitectureRules.coreUsesNoEdge(STOREFRONT);

	@ArchTest
	static final ArchRule timeComesFromTheClockBean = ArchitectureRules.timeComesFromTheClockBean(STOREFRONT);

}
