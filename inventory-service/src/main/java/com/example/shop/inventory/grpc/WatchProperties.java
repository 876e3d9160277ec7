package com.example.shop.inventory.grpc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inventory.watch.*} (application.yml explains the values).
 *
 * @param bufferSize changes one WatchStock stream may have queued, in distinct products
 * @param maxWatchers open WatchStock streams per replica
 */
@ConfigurationProperties("inventory.watch")
record WatchProperties(@DefaultValue("256") int bufferSize, @DefaultValue("1000") int maxWatchers) {

	WatchProperties {
		if (bufferSize < 1 || maxWatchers < 1) {
			throw new IllegalArgumentException("inventory.watch.buffer-size and max-watchers must be >= 1");
		}
	}

}
