package com.example.shop.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository that tests read as the platform does (the realm file, the brokers' permissions): found
 * from the directory a test runs in, a module's or any below the root, so they are never copied into test
 * resources.
 */
public final class RepositoryFiles {

	private RepositoryFiles() {
	}

	/** The file at {@code relative} (from the repository's root), such as {@code docs/saga.md}. */
	public static Path path(String relative) {
		return find(Path.of(relative));
	}

	/** The nearest {@code relative} up from the working directory. */
	static Path find(Path relative) {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve(relative);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("No " + relative + " in " + Path.of("").toAbsolutePath()
				+ " or any directory above it: these tests run inside the repository");
	}

}
