package io.floorgate.gateway.api;

/**
 * An answer other than success, as the API sends it: {@code {"error": code, "message": message}} with the status.
 * Thrown by handlers (or passed to {@code RoutingContext.fail}) and written by {@link ErrorResponses} only. Public
 * so that routes outside this package (staff, the ops page) refuse the same way.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    /** @param code a stable, snake_case word a client can branch on; the message is for people */
    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError invalidRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError sessionNotFound() {
        return new ApiError(404, "session_not_found", "no open session has this id; it may have ended");
    }
}
