package com.example.shop.testsupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@link SecondIsolatedClassTests}: whichever runs second would see the other's marker table if
 * the two classes shared a database.
 */
@SpringBootTest(classes = IsolationTestApplication.class)
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class FirstIsolatedClassTests {

	@Autowired
	JdbcTemplate jdbc;

	@Value("${spring.datasource.url}")
	String databaseUrl;

	@Value("${spring.rabbitmq.virtual-host}")
	String virtualHost;

	@Value("${test.namespace}")
	String namespace;

	@Test
	void getsADatabaseAndVirtualHostNobodyElseUses() {
		assertThat(namespace).startsWith("firstisolatedclasstests-");
		assertThat(databaseUrl).contains("/t_firstisolatedclasstests_");
		assertThat(virtualHost).isEqualTo(namespace);

		jdbc.execute("CREATE TABLE marker_first (id int)");
		assertThat(jdbc.queryForObject("SELECT to_regclass('marker_second') IS NULL", Boolean.class)).isTrue();
	}

}
