@preconcurrency import CGSL

/// A failed GSL call: the function that failed, GSL's status code and its message.
public struct GSLError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let status: Int32
    public var description: String { "\(operation) failed: \(String(cString: gsl_strerror(status))) (GSL status \(status))" }
    public init(operation: String, status: Int32) {
        self.operation = operation
        self.status = status
    }
}

/// GSL's default handler aborts the process; this turns it off once, for the whole program,
/// so every status comes back to the caller.
private let gslHandlerDisabled: Bool = {
    gsl_set_error_handler_off()
    return true
}()

/// Turns GSL's abort-on-error handler off (idempotent). Every entry point that calls GSL
/// calls this first.
public func disableGSLAbort() { _ = gslHandlerDisabled }

/// Throws a `GSLError` unless `status == GSL_SUCCESS`.
@inlinable
public func checkGSL(_ status: Int32, _ operation: @autoclosure () -> String) throws {
    if status != GSL_SUCCESS { throw GSLError(operation: operation(), status: status) }
}

/// `GSL_SUCCESS`, the status of a GSL call that succeeded.
public let gslSuccess = Int32(GSL_SUCCESS)

/// GSL's message for `status` (`gsl_strerror`).
public func gslMessage(_ status: Int32) -> String { String(cString: gsl_strerror(status)) }
