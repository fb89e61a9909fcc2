/**
 * Test support for plugin authors: start a plugin the way the agent does, without the agent.
 *
 * <p>Add {@code io.lanthorn:lanthorn-api-testkit} with {@code test} scope, then:
 *
 * <pre>{@code
 * TestPluginContext context = TestPluginContext.forPlugin("sink-example").with("path = /tmp/x");
 * sink.start(context);
 * sink.write(List.of(event));
 * assertThat(context.metrics().value("written")).isEqualTo(1);
 * }</pre>
 */
package io.lanthorn.api.testkit;
