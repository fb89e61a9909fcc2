package io.lanthorn.enricher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * A docker-java client for one daemon, speaking one API version, over the unix socket.
 *
 * <p>The configuration is built from scratch rather than from docker-java's defaults, which read
 * {@code DOCKER_HOST}, {@code ~/.docker} and the current Docker context: the agent talks to the
 * socket its own configuration names, and to nothing else.
 */
final class DockerConnection implements AutoCloseable {
  /** One connection holds the events stream; the others serve inspections and listings. */
  private static final int MAX_CONNECTIONS = 8;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final DockerClient client;
  private final ApiVersion apiVersion;

  private DockerConnection(DockerClient client, ApiVersion apiVersion) {
    this.client = client;
    this.apiVersion = apiVersion;
  }

  /**
   * A client for the daemon at {@code host}.
   *
   * @param host a {@code unix://} URI
   * @param apiVersion the version to put in request paths, or {@code null} for none (the daemon's
   *     own current version)
   */
  static DockerConnection open(URI host, ApiVersion apiVersion) {
    var config =
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(host.toString())
            .withDockerTlsVerify(false)
            .withApiVersion(apiVersion == null ? null : apiVersion.toString())
            .build();
    var http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(host)
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(CONNECT_TIMEOUT)
            // No response timeout: it would end the events stream whenever Docker is quiet.
            // DockerCalls bounds every request instead.
            .build();
    return new DockerConnection(DockerClientImpl.getInstance(config, http), apiVersion);
  }

  /** The client. */
  DockerClient client() {
    return client;
  }

  /** The pinned version, or {@code null} when requests carry none. */
  ApiVersion apiVersion() {
    return apiVersion;
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      // Closing a socket pool: nothing to recover, and nothing is lost.
    }
  }
}
