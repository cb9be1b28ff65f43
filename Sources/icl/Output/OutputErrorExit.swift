import Experiments

/// The exit code of a write that failed, by cause: a path that cannot be the output (a file in
/// the way, a directory of other files) is bad input (exit 2); a write the OS refused (a full
/// disk, permission, an I/O error) is a result that could not be written (exit 1), with the path
/// and the OS's reason.
func outputFailure(_ flag: String, _ error: OutputError) -> any Error {
    switch error {
    case .cannotCreateDirectory, .occupied: return InputError(flag, error)
    case .cannotWrite, .cannotRename: return RunFailure("\(flag): \(error)")
    }
}
