package com.example.shop.inventory.reservation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockRepository;
import com.example.shop.inventory.support.TestStock;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweeper runs on its own schedule: a reservation left alone past its TTL gives its stock back. */
@SpringBootTest(properties = { "inventory.reservations.ttl=1s", "inventory.reservations.expiry.interval=200ms" })
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class ScheduledExpiryTests {

	@Autowired
	StockReservations reservations;

	@Autowired
	JdbcClient jdbc;

	TestStock stock;

	@Autowired
	void testStock(StockLevels levels, StockRepository repository) {
		this.stock = new TestStock(levels, repository, this.jdbc);
	}

	@Test
	void anAbandonedReservationExpiresByItself() throws InterruptedException {
		UUID product = this.stock.product(3);
		UUID order = UUID.randomUUID();
		ReserveOutcome outcome = this.reservations.reserve(order, List.of(new ReservationLine(product, 3)));
		assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
		assertThat(this.stock.stock(product).available()).isZero();

		Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
		while (!"EXPIRED".equals(this.stock.status(order)) && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
		}

		assertThat(this.stock.status(order)).isEqualTo("EXPIRED");
		assertThat(this.stock.stock(product).available()).isEqualTo(3);
		assertThat(this.reservations.confirm(order)).isEqualTo(new Refused(order, Refused.Reason.EXPIRED));
	}

}
