package com.example.shop.web.problem;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts {@link ProblemReportValve} where Tomcat's {@link ErrorReportValve} was, and lets TRACE through to the
 * {@link EdgeRequestFilter} so that it, too, is refused as problem+json.
 * <p>
 * Ordered last so that it runs after Boot's own Tomcat customizer, which adds a plain {@code ErrorReportValve}
 * to the host (to hide stack traces): that one is removed here, or it could answer first with HTML.
 */
class ProblemReportValveCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers(context -> {
			if (context.getParent() instanceof StandardHost host) {
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.getPipeline().addValve(new ProblemReportValve());
				// The host adds a valve of this class when it starts unless one is there: ours is, so none is added.
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		});
		// Tomcat refuses TRACE itself by forwarding a 405 to Boot's /error page, which answers Spring's default
		// JSON. Let it reach the edge filter instead, which refuses it first of all filters, before any servlet
		// could echo the request.
		factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
