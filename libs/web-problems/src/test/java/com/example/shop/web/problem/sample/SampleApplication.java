package com.example.shop.web.problem.sample;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A stand-in service in its own package: it does not component-scan the library, so the tests prove the
 * handler arrives through auto-configuration, as it does in the real services.
 */
@SpringBootApplication
public class SampleApplication {

}
