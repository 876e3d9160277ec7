package com.example.shop.messaging.rabbit;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;

/**
 * Wraps each listener invocation of a container: when the listener throws, the message is handed to the
 * {@link MessageRecoverer} (which moves it to a retry tier or the dead-letter queue) and the invocation ends
 * normally, so the container acks the original. A recoverer that cannot move the message throws, and the
 * container rejects it without requeue.
 * <p>
 * Same shape as Spring AMQP's stateless retry interceptor with zero local retries, without a retry
 * template: retries happen broker-side, in the tiers.
 */
final class RecoveringListenerAdvice implements MethodInterceptor {

	private final MessageRecoverer recoverer;

	RecoveringListenerAdvice(MessageRecoverer recoverer) {
		this.recoverer = recoverer;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		try {
			return invocation.proceed();
		}
		catch (Exception failure) {
			// The container's listener method is invokeListener(Channel channel, Object data).
			Object data = invocation.getArguments()[1];
			if (data instanceof Message message) {
				this.recoverer.recover(message, failure);
				return null;
			}
			throw failure; // a batch: rejected as a whole, the broker's dead-lettering applies
		}
	}

}
