package io.dmlp.catalog.service;

/** One column of a template: its header name, canonical type name and optional default. */
public record Column(String columnName, String dataType, String defaultValue) {
}
