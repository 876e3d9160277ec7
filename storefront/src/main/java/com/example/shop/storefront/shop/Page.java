package com.example.shop.storefront.shop;

import java.util.List;

/** A page of the API's lists: {@code {"content": [...], "page": {...}}}. */
public record Page<T>(List<T> content, Info page) {

	public record Info(int number, int size, long totalElements, int totalPages) {
	}

	public boolean hasPrevious() {
		return page.number() > 0;
	}

	public boolean hasNext() {
		return page.number() + 1 < page.totalPages();
	}

}
