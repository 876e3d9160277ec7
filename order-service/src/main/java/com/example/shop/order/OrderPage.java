package com.example.shop.order;

import java.util.List;

/** One page of a search, with what a client needs to page on. */
public record OrderPage(List<Order> orders, int number, int size, long totalElements) {

	public int totalPages() {
		return (int) ((this.totalElements + this.size - 1) / this.size);
	}

}
