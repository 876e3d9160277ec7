package com.example.shop.product.api;

import java.util.List;

/** The page shape of docs/api.md: {@code {"content": [...], "page": {number, size, totalElements, totalPages}}}. */
public record PageResponse<T>(List<T> content, PageMetadata page) {

	public record PageMetadata(int number, int size, long totalElements, int totalPages) {
	}

}
