package io.lanthorn.launcher.pipeline;

/**
 * A started plugin service as the pipeline uses it.
 *
 * @param name the service's name
 * @param service the service
 * @param loader its plugin's class loader, set as context class loader around every call
 * @param <T> the service interface
 */
public record Running<T>(String name, T service, ClassLoader loader) {}
