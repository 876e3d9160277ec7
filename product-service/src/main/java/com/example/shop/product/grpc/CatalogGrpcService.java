package com.example.shop.product.grpc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.example.shop.product.catalog.Product;
import com.example.shop.product.catalog.ProductCatalog;
import com.example.shop.product.catalog.ProductIds;
import com.example.shop.proto.catalog.v1.BatchGetProductsRequest;
import com.example.shop.proto.catalog.v1.BatchGetProductsResponse;
import com.example.shop.proto.catalog.v1.CatalogServiceGrpc;
import com.example.shop.proto.catalog.v1.GetProductRequest;
import com.example.shop.proto.catalog.v1.GetProductResponse;
import com.example.shop.proto.catalog.v1.ListProductsRequest;
import com.example.shop.proto.catalog.v1.ListProductsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/**
 * shop.catalog.v1.CatalogService (proto module) for other services, e.g. order-service pricing an order.
 * Reads go through the same cached {@link ProductCatalog} as REST. Bad requests answer INVALID_ARGUMENT,
 * unknown products NOT_FOUND; infrastructure failures are mapped by {@link GrpcErrors}.
 */
@GrpcService
class CatalogGrpcService extends CatalogServiceGrpc.CatalogServiceImplBase {

	static final int DEFAULT_PAGE_SIZE = 20;

	static final int MAX_PAGE_SIZE = 100;

	static final int MAX_BATCH = 100;

	private final ProductCatalog catalog;

	CatalogGrpcService(ProductCatalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public void getProduct(GetProductRequest request, StreamObserver<GetProductResponse> responseObserver) {
		UUID id = productId(request.getProductId(), "product_id");
		Product product = this.catalog.find(id)
			.orElseThrow(() -> Status.NOT_FOUND.withDescription("product " + id + " does not exist").asRuntimeException());
		responseObserver.onNext(GetProductResponse.newBuilder().setProduct(ProtoMapping.toProto(product)).build());
		responseObserver.onCompleted();
	}

	@Override
	public void batchGetProducts(BatchGetProductsRequest request,
			StreamObserver<BatchGetProductsResponse> responseObserver) {
		if (request.getProductIdsCount() > MAX_BATCH) {
			throw invalid("at most " + MAX_BATCH + " product_ids per call, got " + request.getProductIdsCount());
		}
		Set<UUID> ids = new LinkedHashSet<>();
		for (int i = 0; i < request.getProductIdsCount(); i++) {
			ids.add(productId(request.getProductIds(i), "product_ids[" + i + "]"));
		}
		Map<UUID, Product> found = this.catalog.findAll(ids)
			.stream()
			.collect(Collectors.toMap(Product::id, Function.identity()));
		BatchGetProductsResponse.Builder response = BatchGetProductsResponse.newBuilder();
		for (UUID id : ids) {
			Product product = found.get(id);
			if (product != null) {
				response.addProducts(ProtoMapping.toProto(product));
			}
			else {
				response.addMissingProductIds(id.toString());
			}
		}
		responseObserver.onNext(response.build());
		responseObserver.onCompleted();
	}

	@Override
	public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> responseObserver) {
		if (request.getPageSize() < 0) {
			throw invalid("page_size must not be negative");
		}
		int pageSize = (request.getPageSize() == 0) ? DEFAULT_PAGE_SIZE : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
		UUID after = null;
		if (!request.getPageToken().isEmpty()) {
			after = PageToken.parse(request.getPageToken())
				.orElseThrow(() -> invalid("page_token is not a token returned by ListProducts"));
		}
		String category = request.getCategory().isBlank() ? null : request.getCategory();
		// One more than asked tells whether there is a next page without a count query.
		List<Product> products = new ArrayList<>(this.catalog.listAfter(after, category, pageSize + 1));
		boolean more = products.size() > pageSize;
		if (more) {
			products = products.subList(0, pageSize);
		}
		ListProductsResponse.Builder response = ListProductsResponse.newBuilder();
		products.forEach((product) -> response.addProducts(ProtoMapping.toProto(product)));
		if (more) {
			response.setNextPageToken(PageToken.after(products.getLast().id()));
		}
		responseObserver.onNext(response.build());
		responseObserver.onCompleted();
	}

	private static UUID productId(String value, String field) {
		Optional<UUID> id = ProductIds.parse(value);
		return id.orElseThrow(() -> invalid(field + " must be a UUID, got '" + abbreviate(value) + "'"));
	}

	private static StatusRuntimeException invalid(String description) {
		return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
	}

	private static String abbreviate(String value) {
		return (value.length() > 64) ? value.substring(0, 64) + "..." : value;
	}

}
