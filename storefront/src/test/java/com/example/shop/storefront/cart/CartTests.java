package com.example.shop.storefront.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.example.shop.storefront.shop.Money;

/** The cart as a value: what adding, changing and removing a line gives, and what it costs. No Spring. */
class CartTests {

	static final UUID MUG = UUID.fromString("00000000-0000-4000-8000-000000000001");

	static final UUID LAMP = UUID.fromString("00000000-0000-4000-8000-000000000002");

	static final Money MUG_PRICE = eur("12.50");

	static final Money LAMP_PRICE = eur("30.00");

	static Money eur(String amount) {
		return new Money(new BigDecimal(amount), "EUR");
	}

	@Test
	void anEmptyCartHasNothingAndNoTotal() {
		Cart cart = Cart.empty();

		assertThat(cart.isEmpty()).isTrue();
		assertThat(cart.count()).isZero();
		assertThat(cart.total()).isEmpty();
	}

	@Test
	void addingGivesANewCartAndLeavesTheOldOneAsItWas() {
		Cart empty = Cart.empty();

		Cart one = empty.add(MUG, "Enamel Mug", MUG_PRICE, 2);

		assertThat(empty.isEmpty()).isTrue();
		assertThat(one.lines()).containsExactly(new Cart.Line(MUG, "Enamel Mug", MUG_PRICE, 2));
		assertThat(one.count()).isEqualTo(2);
		assertThat(one.total()).contains(eur("25.00"));
	}

	@Test
	void linesKeepTheOrderTheyWereAddedInAndAddUp() {
		Cart cart = Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 2).add(LAMP, "Camp Lamp", LAMP_PRICE, 1);

		assertThat(cart.lines()).extracting(Cart.Line::productId).containsExactly(MUG, LAMP);
		assertThat(cart.lines().get(0).total()).isEqualTo(eur("25.00"));
		assertThat(cart.count()).isEqualTo(3);
		assertThat(cart.total()).contains(eur("55.00"));
	}

	@Test
	void addingTheSameProductAgainAddsToItsLineAndKeepsItsPlaceAndFirstPrice() {
		Cart cart = Cart.empty()
			.add(MUG, "Enamel Mug", MUG_PRICE, 2)
			.add(LAMP, "Camp Lamp", LAMP_PRICE, 1)
			.add(MUG, "Enamel Mug (new name)", eur("99.00"), 3);

		assertThat(cart.lines()).containsExactly(new Cart.Line(MUG, "Enamel Mug", MUG_PRICE, 5),
				new Cart.Line(LAMP, "Camp Lamp", LAMP_PRICE, 1));
	}

	@Test
	void aLineHoldsAtMostTwentyUnits() {
		assertThat(Cart.MAX_QUANTITY).isEqualTo(20);

		Cart cart = Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 15).add(MUG, "Enamel Mug", MUG_PRICE, 15);
		assertThat(cart.count()).isEqualTo(20);

		assertThat(Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 500).count()).isEqualTo(20);
		assertThat(cart.set(MUG, 21).count()).isEqualTo(20);
	}

	@Test
	void settingAQuantityReplacesItAndZeroOrLessRemovesTheLine() {
		Cart cart = Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 2).add(LAMP, "Camp Lamp", LAMP_PRICE, 1);

		assertThat(cart.set(MUG, 7).lines().getFirst().quantity()).isEqualTo(7);
		assertThat(cart.set(MUG, 0).lines()).extracting(Cart.Line::productId).containsExactly(LAMP);
		assertThat(cart.set(MUG, -2).lines()).extracting(Cart.Line::productId).containsExactly(LAMP);
		assertThat(cart.set(MUG, 0).set(LAMP, 0).isEmpty()).isTrue();
	}

	@Test
	void settingAProductThatIsNotInTheCartChangesNothing() {
		Cart cart = Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 2);

		assertThat(cart.set(LAMP, 3)).isSameAs(cart);
	}

	@Test
	void addingNothingAddsNoLine() {
		assertThat(Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 0).isEmpty()).isTrue();
	}

	@Test
	void theLinesCannotBeChangedFromOutside() {
		List<Cart.Line> lines = new ArrayList<>(List.of(new Cart.Line(MUG, "Enamel Mug", MUG_PRICE, 1)));
		Cart cart = new Cart(lines);

		lines.clear();

		assertThat(cart.count()).isEqualTo(1);
		assertThatThrownBy(() -> cart.lines().clear()).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void aCartSurvivesSerializationAsTheSessionStoreDoesIt() throws Exception {
		Cart cart = Cart.empty().add(MUG, "Enamel Mug", MUG_PRICE, 2).add(LAMP, "Camp Lamp", LAMP_PRICE, 1);

		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(cart);
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			assertThat(in.readObject()).isEqualTo(cart);
		}
	}

}
