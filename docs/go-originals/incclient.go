package main

import (
    "fmt"
    "io/ioutil"
    "net/http"
    "time"
)

func main() {
    start := time.Now()
    routineCount := 10
    // create a go routine to make the HTTP request
    // pass a channel into which the response will be written
    channel := make(chan string)
    for i := 0; i < routineCount; i++ {
        go request(channel)
    }
    // read the responses from the channel
    for i := 0; i < routineCount; i++ {
        fmt.Println(<-channel)
    }
    secs := time.Since(start).Seconds()
    fmt.Printf("Time elapased: %.2f seconds", secs)
}

func request(channel chan<- string) {
    resp, err := http.Get("http://localhost:8080/inc")
    if err != nil {
        fmt.Println(err)
        return
    }
    defer resp.Body.Close()
    body, _ := ioutil.ReadAll(resp.Body)
    channel <- fmt.Sprintf(string(body))
}

