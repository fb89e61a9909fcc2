/**
 * Test support for plugin authors: create a plugin the way the agent does, without the agent.
 *
 * <p>Add {@code io.lanthorn:lanthorn-api-testkit} with {@code test} scope, then:
 *
 * <pre>{@code
 * TestPluginContext context = TestPluginContext.forPlugin("sink-example").with("path = /tmp/x");
 * try (Sink sink = (Sink) new ExampleSinkFactory().create(context)) {
 *   sink.write(List.of(event));
 * }
 * assertThat(context.metrics().value("written")).isEqualTo(1);
 * }</pre>
 *
 * <p>A source's context carries a {@link io.lanthorn.api.testkit.RecordingEmitter}: {@code
 * context.withEmitter(new RecordingEmitter())}.
 */
package io.lanthorn.api.testkit;
