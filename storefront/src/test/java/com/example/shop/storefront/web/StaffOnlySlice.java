package com.example.shop.storefront.web;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The page Spring Security forwards a refused shopper to ({@code /staff-only}), for slices whose
 * {@code @WebMvcTest} names other controllers. Package-private, hence this door in its package.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(StaffOnlyController.class)
public class StaffOnlySlice {

}
