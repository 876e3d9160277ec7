package com.example.shop.gateway.balancing;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Configuration;

/**
 * Every service's load balancer gets {@link PerServiceLoadBalancing}: Spring Cloud's default instance list, with
 * the instances a request already tried left out of its retries.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = PerServiceLoadBalancing.class)
class LoadBalancing {

}
