package io.floorgate.gateway.api;

/**
 * An answer other than success, as the API sends it: {@code {"error": code, "message": message}} with the status.
 * Thrown by handlers (or passed to {@code RoutingContext.fail}) and written by {@link ErrorResponses} only.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static ApiError invalidRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    static ApiError sessionNotFound() {
        return new ApiError(404, "session_not_found", "no open session has this id; it may have ended");
    }
}
