package io.floorgate.gateway.api;

import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A request's JSON object and its typed fields. Every refusal names the field, by its path in the body. Unknown
 * fields are ignored, so an app newer than the gateway can still check in. Read it with {@link ApiRouter#body}.
 */
public final class JsonBody {

    private final JsonObject json;
    private final String prefix;

    private JsonBody(JsonObject json, String prefix) {
        this.json = json;
        this.prefix = prefix;
    }

    static JsonBody parse(Buffer body) {
        Object value;
        try {
            value = body == null || body.length() == 0 ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new ApiError(400, "malformed_json", "the body is not valid JSON");
        }
        if (body == null || body.length() == 0) {
            throw new ApiError(400, "malformed_json", "the body is empty; a JSON object is expected");
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiError.invalidRequest("the body must be a JSON object");
        }
        return new JsonBody(object, "");
    }

    public String requiredText(String field, int maxLength) {
        return optionalText(field, maxLength).orElseThrow(() -> missing(field, "a string"));
    }

    public Optional<String> optionalText(String field, int maxLength) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw wrongType(field, "a string");
        }
        if (text.isBlank() || text.length() > maxLength) {
            throw ApiError.invalidRequest(path(field) + " must be 1 to " + maxLength + " characters, not blank");
        }
        return Optional.of(text);
    }

    public OptionalInt optionalInt(String field, int min, int max) {
        Object value = json.getValue(field);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!(value instanceof Integer number) || number < min || number > max) {
            throw ApiError.invalidRequest(path(field) + " must be a whole number from " + min + " to " + max);
        }
        return OptionalInt.of(number);
    }

    public boolean requiredBoolean(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw missing(field, "true or false");
        }
        if (!(value instanceof Boolean flag)) {
            throw wrongType(field, "true or false");
        }
        return flag;
    }

    public Optional<Boolean> optionalBoolean(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean flag)) {
            throw wrongType(field, "true or false");
        }
        return Optional.of(flag);
    }

    /**
     * Refuses any field but {@code known}: for a body where a field the gateway does not know would otherwise be
     * silently not done (a consent the shopper believes withdrawn).
     */
    public void onlyFields(Collection<String> known) {
        for (String field : json.fieldNames()) {
            if (!known.contains(field)) {
                throw ApiError.invalidRequest(path(field) + " is not known here; the fields are: "
                        + String.join(", ", known));
            }
        }
    }

    public JsonBody requiredObject(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw missing(field, "an object");
        }
        if (!(value instanceof JsonObject object)) {
            throw wrongType(field, "an object");
        }
        return new JsonBody(object, path(field) + ".");
    }

    private String path(String field) {
        return prefix + field;
    }

    private ApiError missing(String field, String expected) {
        return ApiError.invalidRequest(path(field) + " is required: " + expected);
    }

    private ApiError wrongType(String field, String expected) {
        return ApiError.invalidRequest(path(field) + " must be " + expected);
    }
}
