package com.example.shop.testsupport;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest Spring Boot application with a DataSource, to prove what tests of real services get. */
@SpringBootApplication
class IsolationTestApplication {

}
