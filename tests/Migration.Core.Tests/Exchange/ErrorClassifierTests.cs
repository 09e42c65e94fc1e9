using System.Net;
using System.Net.Sockets;
using Migration.Core.Exchange;
using Migration.Core.OpenAI;

namespace Migration.Core.Tests.Exchange;

public class ErrorClassifierTests
{
    [Theory]
    [InlineData(200, ErrorClass.None)]
    [InlineData(304, ErrorClass.None)]
    [InlineData(400, ErrorClass.ClientError)]
    [InlineData(401, ErrorClass.ClientError)]
    [InlineData(429, ErrorClass.RateLimited)]
    [InlineData(500, ErrorClass.ServerError)]
    [InlineData(503, ErrorClass.ServerError)]
    public void FromStatus_Status_Class(int status, ErrorClass expected)
    {
        Assert.Equal(expected, ErrorClassifier.FromStatus(status));
    }

    [Theory]
    [InlineData(200, "application/json", "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}", ErrorClass.None)]
    [InlineData(200, "application/json", "{\"choices\":[{\"index\":0", ErrorClass.MalformedResponse)]
    [InlineData(200, "application/json", "{\"error\":{\"message\":\"oops\"}}", ErrorClass.MalformedResponse)]
    [InlineData(200, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"o\"}}]}\n\n", ErrorClass.TruncatedStream)]
    [InlineData(200, "text/event-stream", "event: error\ndata: {\"error\":{\"message\":\"x\"}}\n\ndata: [DONE]\n\n", ErrorClass.TruncatedStream)]
    [InlineData(200, "text/event-stream", "data: {not json}\n\ndata: [DONE]\n\n", ErrorClass.MalformedResponse)]
    [InlineData(429, "application/json", "{\"error\":{\"message\":\"slow down\"}}", ErrorClass.RateLimited)]
    [InlineData(500, "text/plain", "boom", ErrorClass.ServerError)]
    [InlineData(404, "application/json", "{\"error\":{\"message\":\"no such model\"}}", ErrorClass.ClientError)]
    public void FromAnswer_ReadAnswer_Class(int status, string contentType, string body, ErrorClass expected)
    {
        var answer = ProviderAnswerReader.Read(status, System.Text.Encoding.UTF8.GetBytes(body), contentType, AnswerKind.Chat);

        Assert.Equal(expected, ErrorClassifier.FromAnswer(answer));
    }

    [Fact]
    public void FromAnswer_NoResponse_Other()
    {
        Assert.Equal(ErrorClass.Other, ErrorClassifier.FromAnswer(new ProviderAnswer { Status = 0, Error = "no response" }));
    }

    [Fact]
    public void FromException_Timeouts_Timeout()
    {
        Assert.Equal(ErrorClass.Timeout, ErrorClassifier.FromException(new TimeoutException()));
        Assert.Equal(ErrorClass.Timeout, ErrorClassifier.FromException(new TaskCanceledException("t", new TimeoutException())));
        Assert.Equal(ErrorClass.Timeout, ErrorClassifier.FromException(new TimeoutRejectedException()));
    }

    [Fact]
    public void FromException_ConnectionFailures_Connection()
    {
        Assert.Equal(ErrorClass.Connection, ErrorClassifier.FromException(new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal(ErrorClass.Connection, ErrorClassifier.FromException(new SocketException((int)SocketError.ConnectionReset)));
    }

    [Fact]
    public void FromException_ResponseEndedOrIo_TruncatedStream()
    {
        Assert.Equal(ErrorClass.TruncatedStream, ErrorClassifier.FromException(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));
        Assert.Equal(ErrorClass.TruncatedStream, ErrorClassifier.FromException(new IOException("reset")));
    }

    [Fact]
    public void FromException_StatusInException_StatusClass()
    {
        Assert.Equal(ErrorClass.RateLimited, ErrorClassifier.FromException(new HttpRequestException("429", null, HttpStatusCode.TooManyRequests)));
    }

    [Fact]
    public void FromException_Cancelled_Other()
    {
        Assert.Equal(ErrorClass.Other, ErrorClassifier.FromException(new OperationCanceledException()));
    }

    /// <summary>Stands in for Polly's exception of the same name (Core does not reference Polly).</summary>
    private sealed class TimeoutRejectedException : Exception;
}
