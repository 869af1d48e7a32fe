import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

extension TestApp {
    /// Calls the JSON API with a bearer token (and a JSON body when given); returns the answer
    /// and its body read as a JSON object (empty when it is not one).
    public func callAPI(
        _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil
    ) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (response, object)
    }
}
