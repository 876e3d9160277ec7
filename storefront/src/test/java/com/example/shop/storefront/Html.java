package com.example.shop.storefront;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.attoparser.ParseException;
import org.attoparser.config.ParseConfiguration;
import org.attoparser.dom.DOMMarkupParser;
import org.attoparser.dom.Document;
import org.attoparser.dom.Element;
import org.attoparser.dom.INestableNode;
import org.attoparser.dom.INode;
import org.attoparser.dom.Text;

import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.util.HtmlUtils;

/**
 * A rendered page, read the way a shopper's browser reads it: parsed as HTML (with AttoParser, the parser Thymeleaf
 * itself uses, so no extra test dependency) and queried with a small subset of CSS selectors: {@code tag},
 * {@code #id}, {@code .class}, {@code [attr]}, {@code [attr=value]}, compounds of these ({@code input[name=q]}) and
 * descendants separated by spaces ({@code #checkout-form input[name=card]}). Texts and attribute values are
 * unescaped, with whitespace collapsed.
 */
public final class Html {

	private static final Pattern PART = Pattern.compile("([#.]?)([\\w-]+)|\\[([\\w-]+)(?:=([^\\]]*))?]");

	private final Document document;

	private Html(Document document) {
		this.document = document;
	}

	public static Html of(MvcResult result) {
		try {
			return of(result.getResponse().getContentAsString());
		}
		catch (java.io.UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static Html of(String html) {
		try {
			return new Html(new DOMMarkupParser(ParseConfiguration.htmlConfiguration()).parse(html));
		}
		catch (ParseException ex) {
			throw new AssertionError("The page is not readable HTML: " + ex.getMessage() + "\n" + html, ex);
		}
	}

	/** Every element the selector matches, in document order. */
	public List<Node> select(String selector) {
		List<Node> found = new ArrayList<>();
		String[] steps = selector.trim().split("\\s+");
		collect(this.document, steps, 0, found);
		return found.stream().distinct().toList();
	}

	/** The one element the selector matches; fails when none or several do. */
	public Node one(String selector) {
		List<Node> found = select(selector);
		if (found.size() != 1) {
			throw new AssertionError("Expected one element for '" + selector + "', found " + found.size());
		}
		return found.getFirst();
	}

	public Optional<Node> find(String selector) {
		List<Node> found = select(selector);
		return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
	}

	public boolean has(String selector) {
		return !select(selector).isEmpty();
	}

	/** The text of one element ({@link #one(String)}). */
	public String text(String selector) {
		return one(selector).text();
	}

	/** Every text of the page (not inside script or style). */
	public String text() {
		return Node.textOf(this.document);
	}

	private static void collect(INestableNode parent, String[] steps, int step, List<Node> found) {
		for (INode child : parent.getChildren()) {
			if (child instanceof Element element) {
				if (matches(element, steps[step])) {
					if (step == steps.length - 1) {
						found.add(new Node(element));
					}
					else {
						collect(element, steps, step + 1, found);
					}
				}
				collect(element, steps, step, found);
			}
			else if (child instanceof INestableNode nested) {
				collect(nested, steps, step, found);
			}
		}
	}

	private static boolean matches(Element element, String compound) {
		Matcher part = PART.matcher(compound);
		int at = 0;
		while (part.find()) {
			if (part.start() != at) {
				throw new IllegalArgumentException("Unsupported selector: " + compound);
			}
			at = part.end();
			if (part.group(3) != null) {
				String value = element.getAttributeValue(part.group(3));
				if (value == null || (part.group(4) != null && !HtmlUtils.htmlUnescape(value).equals(part.group(4)))) {
					return false;
				}
			}
			else if ("#".equals(part.group(1))) {
				if (!part.group(2).equals(element.getAttributeValue("id"))) {
					return false;
				}
			}
			else if (".".equals(part.group(1))) {
				String classes = element.getAttributeValue("class");
				if (classes == null || !List.of(classes.trim().split("\\s+")).contains(part.group(2))) {
					return false;
				}
			}
			else if (!element.getElementName().equalsIgnoreCase(part.group(2))) {
				return false;
			}
		}
		if (at != compound.length()) {
			throw new IllegalArgumentException("Unsupported selector: " + compound);
		}
		return true;
	}

	/** One element of the page. */
	public static final class Node {

		private static final java.util.Set<String> INLINE = java.util.Set.of("a", "abbr", "b", "code", "em", "i",
				"small", "span", "strong");

		private final Element element;

		Node(Element element) {
			this.element = element;
		}

		/** Its text and its descendants', unescaped, whitespace collapsed. */
		public String text() {
			return textOf(this.element);
		}

		/** The attribute's value, unescaped, or null when it has none. */
		public String attr(String name) {
			String value = this.element.getAttributeValue(name);
			return (value == null) ? null : HtmlUtils.htmlUnescape(value);
		}

		public boolean hasAttr(String name) {
			return this.element.hasAttribute(name);
		}

		/** The elements inside this one that the selector matches. */
		public List<Node> select(String selector) {
			List<Node> found = new ArrayList<>();
			collect(this.element, selector.trim().split("\\s+"), 0, found);
			return found.stream().distinct().toList();
		}

		public Node one(String selector) {
			List<Node> found = select(selector);
			if (found.size() != 1) {
				throw new AssertionError("Expected one element for '" + selector + "', found " + found.size());
			}
			return found.getFirst();
		}

		public boolean has(String selector) {
			return !select(selector).isEmpty();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Node node && node.element == this.element;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.element);
		}

		@Override
		public String toString() {
			return "<" + this.element.getElementName() + " " + this.element.getAttributeMap() + ">" + text();
		}

		static String textOf(INestableNode node) {
			StringBuilder text = new StringBuilder();
			appendText(node, text);
			return HtmlUtils.htmlUnescape(text.toString()).replaceAll("\\s+", " ").trim();
		}

		private static void appendText(INestableNode node, StringBuilder text) {
			for (INode child : node.getChildren()) {
				if (child instanceof Text content) {
					text.append(content.getContent());
				}
				else if (child instanceof Element element) {
					String name = element.getElementName().toLowerCase(java.util.Locale.ROOT);
					if (INLINE.contains(name)) {
						appendText(element, text);
					}
					else if (!name.equals("script") && !name.equals("style")) {
						text.append(' ');
						appendText(element, text);
						text.append(' ');
					}
				}
				else if (child instanceof INestableNode nested) {
					appendText(nested, text);
				}
			}
		}

	}

}
