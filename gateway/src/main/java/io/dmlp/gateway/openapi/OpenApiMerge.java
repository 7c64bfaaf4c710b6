package io.dmlp.gateway.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Merges the services' OpenAPI documents into one, as a client of the gateway sees the API: each path once, from
 * the service the gateway routes it to; paths the gateway does not route (Ray's callbacks) left out. Components
 * of the same name and content are kept once; a name two services use for different things is prefixed with the
 * service's name in that service's part, and its references follow.
 */
final class OpenApiMerge {

    /** One service's document and which of its paths the gateway routes to it. */
    record Part(String service, JsonObject document, Predicate<String> routed) {
    }

    private OpenApiMerge() {
    }

    static JsonObject merge(JsonObject info, List<Part> parts) {
        JsonObject paths = new JsonObject();
        JsonObject components = new JsonObject();
        Map<String, JsonObject> tags = new LinkedHashMap<>();
        for (Part part : parts) {
            JsonObject document = renamedCollisions(part, components);
            document.getJsonObject("paths", new JsonObject()).forEach(path -> {
                if (part.routed().test(path.getKey()) && !paths.containsKey(path.getKey())) {
                    JsonObject item = ((JsonObject) path.getValue()).copy();
                    item.forEach(operation -> {
                        if (operation.getValue() instanceof JsonObject op) {
                            op.put("x-dmlp-service", part.service());
                        }
                    });
                    paths.put(path.getKey(), item);
                }
            });
            document.getJsonObject("components", new JsonObject()).forEach(section -> {
                JsonObject merged = components.getJsonObject(section.getKey());
                if (merged == null) {
                    components.put(section.getKey(), merged = new JsonObject());
                }
                merged.mergeIn((JsonObject) section.getValue());
            });
            for (Object tag : document.getJsonArray("tags", new JsonArray())) {
                tags.putIfAbsent(((JsonObject) tag).getString("name"), (JsonObject) tag);
            }
        }
        JsonObject merged = new JsonObject()
                .put("openapi", parts.isEmpty() ? "3.1.0" : parts.get(0).document().getString("openapi", "3.1.0"))
                .put("info", info)
                .put("paths", sorted(paths))
                .put("components", components);
        if (!tags.isEmpty()) {
            merged.put("tags", new JsonArray(List.copyOf(tags.values())));
        }
        return merged;
    }

    /**
     * The part's document with every component whose name is already taken by a different one (in
     * {@code components}, merged so far) renamed to {@code <Service>_<name>}, references included.
     */
    private static JsonObject renamedCollisions(Part part, JsonObject components) {
        String text = part.document().encode();
        JsonObject own = part.document().getJsonObject("components", new JsonObject());
        String prefix = part.service().replaceAll("[^A-Za-z0-9]+", "_") + "_";
        Map<String, String> renames = new LinkedHashMap<>();
        own.forEach(section -> ((JsonObject) section.getValue()).forEach(component -> {
            JsonObject taken = components.getJsonObject(section.getKey(), new JsonObject());
            Object existing = taken.getValue(component.getKey());
            if (existing != null && !existing.equals(component.getValue())) {
                String ref = "#/components/" + section.getKey() + "/";
                renames.put(ref + component.getKey(), ref + prefix + component.getKey());
            }
        }));
        if (renames.isEmpty()) {
            return part.document();
        }
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            text = text.replace("\"" + rename.getKey() + "\"", "\"" + rename.getValue() + "\"");
        }
        JsonObject document = new JsonObject(text);
        JsonObject renamedComponents = document.getJsonObject("components");
        renames.forEach((from, to) -> {
            String[] fromParts = from.split("/");
            String[] toParts = to.split("/");
            JsonObject section = renamedComponents.getJsonObject(fromParts[2]);
            section.put(toParts[3], section.remove(fromParts[3]));
        });
        return document;
    }

    private static JsonObject sorted(JsonObject paths) {
        JsonObject sorted = new JsonObject();
        paths.fieldNames().stream().sorted().forEach(path -> sorted.put(path, paths.getValue(path)));
        return sorted;
    }
}
